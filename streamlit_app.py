"""The dashboard: scrub the Kursk front line through time on an offline map.

Run with ``streamlit run streamlit_app.py``. The page itself is :mod:`dashboard.page`
(widgets and layout), its cached loaders :mod:`dashboard.cache`.

This file is read in two ways. ``streamlit run`` first imports it to find the
``st.App`` below, whose lifespan warms the imports and caches of a first visit when
the server starts (:mod:`dashboard.warmup`), so nobody waits for them; then every
browser session (and ``AppTest``) runs it as ``__main__``, which draws the page.
"""

import streamlit as st

if __name__ == "__main__":
    from dashboard.page import main

    main()
else:
    from dashboard.warmup import lifespan

    app = st.App(__file__, lifespan=lifespan)
