"""Run the command line as ``python -m veteran_affairs`` (see :mod:`veteran_affairs.cli`)."""

from veteran_affairs.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
