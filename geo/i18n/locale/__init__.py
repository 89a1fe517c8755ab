"""The interface's gettext catalogues (``<language>/LC_MESSAGES/<domain>.po``); see ``geo.i18n``."""
