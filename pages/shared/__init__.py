"""What the app's screens share (``pages.shared.ui``) and the app's URL state
(``pages.shared.viewstate``). Streamlit makes a page of every ``pages/*.py`` file but not of
this folder, so shared screen code lives here."""
