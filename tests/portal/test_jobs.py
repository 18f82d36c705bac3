"""The numbers that make a dead worker's job come back once: every task's time limits, the
broker's visibility timeout and the "abandoned" rule all follow from TASK_TIME_LIMIT."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from portal.celery import app

ROOT = Path(__file__).resolve().parents[2]


def _our_tasks():
    app.loader.import_default_modules()
    return [task for name, task in sorted(app.tasks.items()) if not name.startswith("celery.")]


def test_the_portal_has_tasks_to_check():
    names = {task.name for task in _our_tasks()}
    assert {"portal.tasks.send_email", "portal.tasks.sweep_jobs", "integrations.tasks.run_mapping_tests"} <= names


@pytest.mark.parametrize("task", _our_tasks(), ids=lambda task: task.name)
def test_every_task_has_a_soft_limit_below_a_hard_limit_within_the_longest(task):
    soft = task.soft_time_limit or app.conf.task_soft_time_limit
    hard = task.time_limit or app.conf.task_time_limit
    assert soft and hard and soft < hard <= settings.TASK_TIME_LIMIT


def test_the_broker_hands_a_dead_workers_message_on_only_after_any_task_could_have_finished():
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert settings.TASK_TIME_LIMIT < timeout < 5 * 60


def test_a_job_is_abandoned_only_after_a_redelivery_could_have_finished_it():
    redelivered_and_done = settings.BROKER_VISIBILITY_TIMEOUT + settings.TASK_TIME_LIMIT
    assert redelivered_and_done < settings.JOB_ABANDONED_AFTER <= 10 * 60


def test_beat_runs_the_job_sweep_more_often_than_a_job_waits_before_it_is_queued_again():
    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-jobs"]
    assert sweep["task"] == "portal.tasks.sweep_jobs"
    assert sweep["schedule"] <= settings.JOB_REQUEUE_AFTER


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _seconds(duration: str) -> int:
    return int(duration.removesuffix("s"))


def test_docker_gives_the_worker_longer_to_stop_than_its_longest_task(compose):
    assert _seconds(compose["services"]["worker"]["stop_grace_period"]) > settings.TASK_TIME_LIMIT


def test_docker_runs_redis_with_append_only_persistence(compose):
    command = compose["services"]["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"


def test_docker_sets_the_number_of_trusted_proxies(compose):
    assert "TRUSTED_PROXY_COUNT" in compose["x-portal"]["environment"]


def test_a_persistent_database_connection_is_checked_before_use():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
