import sys

from geo.cli.program import main

sys.exit(main())
