"""Shipped models (model files + metadata.json per folder); read through duty_analyzer.resources."""
