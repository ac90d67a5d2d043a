"""Helpers the test suites share: real infrastructure, running services, Kafka probes."""
