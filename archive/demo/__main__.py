"""`python -m archive.demo DIR` writes the demonstration data set into DIR."""

import sys

from archive.demo.dataset import main

raise SystemExit(main(sys.argv[1:]))
