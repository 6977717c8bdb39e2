"""One module per page; `ui/app.py` routes to them with st.navigation.

Not named `pages/`: Streamlit treats a `pages/` folder beside the entry file as a legacy
(v1) multipage app and would run those files directly, without app.py's sidebar.
"""
