"""Helpers of bench/run: the environments, paired runs, the reference SQL, the PostgreSQL
suite, the time breakdown and the report. bench/run is the only entry point."""
