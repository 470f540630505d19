"""The dashboard's test and benchmark harness: one place both `tests/` and `benchmarks/` use.

Small modules, each named for its job:

:mod:`harness.server`
    A free port; start and stop ``streamlit run streamlit_app.py`` on a data folder; its
    log's errors; its RSS and CPU time.
:mod:`harness.synthetic`
    The synthetic data folder (real base layers, made-up dated layers and claims).
:mod:`harness.chromium`
    Where Debian's chromium is and how it is launched.
:mod:`harness.dashboard`
    Driving the dashboard in a browser: the map's frame, the timeline's DOM contract,
    step actions with the day each must end on, the state triple (URL, map, panel), and
    date changes timed inside the page.
:mod:`harness.stats`
    Percentiles and the "memory levels off" check.
:mod:`harness.load`
    Many concurrent browser sessions scrubbing one server (the load test's runner).

``benchmarks/`` and ``tests/`` both import this package; neither imports the other.
Nothing here imports pytest.
"""
