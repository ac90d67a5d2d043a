"""Reading the project's own data files (YAML tables of words, rules and permissions).

PyYAML keeps the last of two equal keys without a word: a row written `cells: NNNN` and again
`cells: AAAA`, or a second `submissions:` block, would silently replace the first. These files
are the single statement of what they hold, so a repeated key is an error at import, naming
the file, the key and its line. (The campaign file, which officers write, has its own reader
that says the same in both languages: `shared.campaign.loader`.)
"""

from collections.abc import Hashable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError


class DuplicateKeyError(yaml.constructor.ConstructorError):
    pass


_MERGE = "tag:yaml.org,2002:merge"


class _UniqueKeyLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # The keys written in this mapping; a merge (`<<: *defaults`) brings keys that an
        # explicit one may override, as YAML means it, and PyYAML resolves it in super().
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                break  # super() refuses it, naming the place
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


class DataFileError(ValueError):
    """A data file that does not read as what it holds, naming the file."""


Model = TypeVar("Model", bound=BaseModel)


def read_model(path: Path, model: type[Model]) -> Model:
    """`read_yaml(path)` validated as `model`: what is wrong in it, and in which file."""
    try:
        return model.model_validate(read_yaml(path))
    except ValidationError as error:
        raise DataFileError(f"{path}: {error}") from error
