"""``python -m nndl ...``: see ``nndl.cli``."""
import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while Python is still starting up: no traceback
    print("interrupted", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
