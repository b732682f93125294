pytest_plugins = ["phpnet.testing"]
