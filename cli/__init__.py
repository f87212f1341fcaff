"""The `baocao` command line: score, batch, train (serve and report come with their issues)."""
