"""The objects a request handler needs, built once per app from :class:`Settings`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from fastapi import Request

from factory.store import Store
from mfactory.api.jobs import (
    CeleryDispatcher,
    Dispatcher,
    InProcessDispatcher,
    JobContext,
    JobStore,
    job_store,
)
from mfactory.api.registry import Registry
from mfactory.api.settings import Settings


@dataclass
class Services:
    settings: Settings

    @cached_property
    def store(self) -> Store:
        return Store.open(self.settings.db)

    @cached_property
    def registry(self) -> Registry:
        return Registry(self.settings.data_dir)

    @cached_property
    def jobs(self) -> JobStore:
        return job_store(self.settings.redis_url)

    @cached_property
    def context(self) -> JobContext:
        return JobContext(db=self.settings.db, data_dir=self.settings.data_dir, redis_url=self.settings.redis_url)

    @cached_property
    def dispatcher(self) -> Dispatcher:
        from mfactory.api.tasks import JOB_FUNCTIONS

        if self.settings.redis_url is None:
            return InProcessDispatcher(self.jobs, self.context, JOB_FUNCTIONS)
        from mfactory.api.celery_link import sender

        return CeleryDispatcher(self.jobs, sender(self.settings.redis_url))


def services(request: Request) -> Services:
    return request.app.state.services
