import sys

from nndl.teach.cli import main

sys.exit(main())
