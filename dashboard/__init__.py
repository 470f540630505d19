"""The Streamlit dashboard's helpers: cached loaders and the server-start warm-up.

``streamlit_app.py`` is the page (widgets and layout); it calls :mod:`dashboard.cache`
for everything loaded or computed, and ``streamlit run`` starts :mod:`dashboard.warmup`
with the server so the first visitor does not pay for imports and loading.
"""
