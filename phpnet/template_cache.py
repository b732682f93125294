"""Templates compiled once per process, not once per app.

Jinja compiles a template the first time an environment loads it, and every
app has its own environment: a process that builds many apps (the test suite
builds one per test) would compile the same templates again each time. A
Jinja bytecode cache (its documented extension point) shared by the apps of
the process keeps the compiled code by template file, and Jinja recompiles a
template whose source changed (the bucket carries the source's checksum).
All phpnet apps build their Jinja environment with the same options, so their
compiled code is the same."""

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class ProcessBytecodeCache(BytecodeCache):
    """Compiled templates in memory, by Jinja's key (template name and file)."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)  # ignored if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._compiled.clear()


COMPILED_TEMPLATES = ProcessBytecodeCache()
