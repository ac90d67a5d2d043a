"""The CloudEvents `source` of every event submissions publishes (one word, said once)."""

SOURCE = "/thidua/submissions"
