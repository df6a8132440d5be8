"""Demonstration data for Qiaofang Archive: a fictional but plausible survey of 86 emigrant houses."""

from archive.demo.dataset import DemoSource, write_demo_source

__all__ = ["DemoSource", "write_demo_source"]
