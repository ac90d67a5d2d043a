"""The CloudEvents `source` of every event scoring publishes (one word, said once)."""

SOURCE = "/thidua/scoring"
