"""Shipped models (model.skops + metadata.json per folder); read through duty_analyzer.resources."""
