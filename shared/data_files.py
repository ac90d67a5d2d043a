"""Reading the project's own data files (YAML tables of words, rules and permissions).

PyYAML keeps the last of two equal keys without a word: a row written `cells: NNNN` and again
`cells: AAAA`, or a second `submissions:` block, would silently replace the first. These files
are the single statement of what they hold, so a repeated key is an error at import, naming
the file, the key and its line. (The campaign file, which officers write, has its own reader
that says the same in both languages: `shared.campaign.loader`.)
"""

from pathlib import Path
from typing import Any

import yaml


class DuplicateKeyError(yaml.constructor.ConstructorError):
    pass


class _UniqueKeyLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKeyError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key {key!r} is given twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path) -> Any:
    """The YAML file's content, as `yaml.safe_load` gives it, refusing a key given twice in one
    mapping."""
    with path.open(encoding="utf-8") as stream:  # a stream, so that an error names the file
        return yaml.load(stream, Loader=_UniqueKeyLoader)
