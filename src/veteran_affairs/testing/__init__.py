"""Testing support for code that uses veteran_affairs (needs the ``testing`` extra).

``veteran_affairs.testing.strategies`` holds hypothesis strategies for every public model.
"""

__all__: list[str] = []
