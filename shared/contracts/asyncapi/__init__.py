"""The events' AsyncAPI 3.0 document (docs/asyncapi.yaml) and its page (docs/asyncapi.html),
generated from the code: `python -m shared.contracts.asyncapi` (`make asyncapi`); `--check`
compares instead of writing (CI). `record` takes the examples from a real run."""
