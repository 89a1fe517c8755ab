"""``python -m geo.i18n update|check``: the catalogues against the code (``geo.i18n.catalogues``)."""

import sys

from geo.i18n.catalogues import main

sys.exit(main())
