"""``python -m nndl ...``: see ``nndl.cli``."""
import sys

from .cli import main

sys.exit(main())
