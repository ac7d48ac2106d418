"""Keyed hashes of addresses and look-up keys: recognisable again, not reversible.

A plain SHA-256 of a phone number can be reversed by trying every number; an HMAC with a key the
database does not hold cannot. The key is settings.PRIVACY_HASH_KEY: changing it makes every
suppressed address forgotten (see README, "Privacy").
"""

import hashlib
import hmac

from django.conf import settings


def keyed_hash(value: str) -> str:
    key = settings.PRIVACY_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def address_hash(*, channel: str, address: str) -> str:
    return keyed_hash(f"address:{channel}:{address}")
