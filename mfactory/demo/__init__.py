"""`mfactory demo`: the whole factory on a shipped sample estate, with no external service.

:mod:`mfactory.demo.pipeline` runs the steps; :mod:`mfactory.demo.estate_build` writes the
sample estate shipped under ``estate/``; ``target.yaml``, ``mapping.yaml`` and
``windows.yaml`` are the embedded defaults.
"""

from mfactory.demo.pipeline import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
