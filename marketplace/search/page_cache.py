"""A small LRU cache keyed by index state: rendered search pages for identical anonymous
requests, and the text matches behind them (marketplace.search).

Popular searches (a landing page, a shared link) are asked for again and again; the key
holds the index generation, so a change to the index makes every cached page unreachable.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PAGES = 512


class PageCache(Generic[T]):
    def __init__(self, size: int = MAX_PAGES) -> None:
        self.size = size
        self.pages: OrderedDict[Hashable, T] = OrderedDict()
        self.lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], T]) -> T:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
                return page
        page = render()
        with self.lock:
            self.pages[key] = page
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)
        return page
