"""bench/webhooks.py's web process: the product's settings, with a bare view to compare with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "webhooks_urls"
