"""Templates are compiled once per process and shared by its apps, and a
template whose source changed is compiled again."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from phpnet.template_cache import COMPILED_TEMPLATES, ProcessBytecodeCache


def environment(folder: Path, cache: ProcessBytecodeCache) -> Environment:
    return Environment(loader=FileSystemLoader(folder), bytecode_cache=cache, autoescape=True)


def test_another_environment_uses_the_compiled_code(tmp_path, monkeypatch):
    (tmp_path / "page.html").write_text("Halo {{ name }}")
    cache = ProcessBytecodeCache()
    assert environment(tmp_path, cache).get_template("page.html").render(name="Budi") == "Halo Budi"

    def compile_again(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(Environment, "compile", compile_again)
    second = environment(tmp_path, cache).get_template("page.html")
    assert second.render(name="<Sri>") == "Halo &lt;Sri&gt;"


def test_a_changed_template_is_compiled_again(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("Halo {{ name }}")
    cache = ProcessBytecodeCache()
    environment(tmp_path, cache).get_template("page.html")

    page.write_text("Selamat datang, {{ name }}")

    assert environment(tmp_path, cache).get_template("page.html").render(name="Budi") == (
        "Selamat datang, Budi"
    )


def test_every_app_of_the_process_shares_the_cache(app):
    assert app.jinja_env.bytecode_cache is COMPILED_TEMPLATES
