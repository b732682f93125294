"""pytest's root conftest: the shared fixtures of phpnet.testing and the
real-browser ones of phpnet.testing_browser."""

pytest_plugins = ["phpnet.testing", "phpnet.testing_browser"]

# pytest-playwright registers its own fixtures of these names after our
# plugins; a conftest's fixtures override any plugin's, so ours are named here.
from phpnet.testing_browser import (  # noqa: E402, F401
    base_url,
    browser_type_launch_args,
    context,
    page,
)
