"""Fault injection (`make chaos`): the four services under a load of clients on a broker and a
PostgreSQL of their own, while every service is SIGKILLed several times, the broker once and
PostgreSQL once; afterwards what the clients were told is compared with every service's state,
the topics and the dead-letter topics. `python -m tests.chaos --help`.

It lives under tests/ because it is a verification program built from the tests' own parts
(tests.support: the deploy/local scripts, ServiceProcess) and is linted and type-checked with
them; it is not collected by pytest (no test_*.py) since it needs its own stack and minutes.
"""
