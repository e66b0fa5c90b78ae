"""Import Post Coach from a given checkout in a benchmark's child process.

``PRELUDE`` is Python source that a child runs first, with ``root`` (an absolute path) set:
it puts the checkout's code first on the path and reads ``coach.resources`` from the
checkout's own ``resources/``. Without the second step an editable install (``pip install
-e``) maps ``coach.resources`` to the folder it was installed from, so an old checkout's
code would be measured with the new checkout's language packs and rule catalogue.
"""

PRELUDE = r'''
import importlib.util as _util
import sys as _sys
_sys.path[:0] = [root, root + "/tests/benchmarks"]
import coach as _coach
assert _coach.__file__.startswith(root), _coach.__file__
_spec = _util.spec_from_file_location("coach.resources", root + "/resources/__init__.py",
                                      submodule_search_locations=[root + "/resources"])
_sys.modules["coach.resources"] = _util.module_from_spec(_spec)
_spec.loader.exec_module(_sys.modules["coach.resources"])
from coach.data import resource as _resource
assert str(_resource("platforms.toml")).startswith(root), _resource("platforms.toml")
'''
