import os

from celery import Celery
from celery.signals import beat_init, worker_process_init
from kombu import Exchange, Queue

from config.collector import collector_tune

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("thuisfront")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Lanes, most urgent first. `celery -A config worker` without -Q consumes all of them, in this
# order: with the broker's queue_order_strategy "priority" (settings) a worker always takes
# waiting interactive work (agent replies, automated answers, confirmations) before bulk; the
# status lane applies providers' status callbacks in batches (notifications/services/status.py).
LANES = ("interactive", "status", "bulk")
app.conf.task_queues = [
    Queue(name, Exchange(name, type="direct"), routing_key=name) for name in LANES
]
app.autodiscover_tasks()

# A pool process and beat, once started with the tasks imported: the collector leaves what they
# loaded alone (config/collector.py).
worker_process_init.connect(collector_tune, weak=False)
beat_init.connect(collector_tune, weak=False)
