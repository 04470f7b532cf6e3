"""Demo data: a realistic, deterministic payment history to see segmentation working."""

from app.demo.service import DemoSummary, generate

__all__ = ["DemoSummary", "generate"]
