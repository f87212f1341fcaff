"""Archive scoring: batch jobs over folders and tables, and per-agency reports on their output."""
