"""The labelled problem corpus used by `train`; read through duty_analyzer.resources."""
