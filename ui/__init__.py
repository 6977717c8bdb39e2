"""The Streamlit web app: a thin shell over `planner` (it never imports ortools itself)."""
