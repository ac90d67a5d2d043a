"""Fault injection (`make chaos`): the four services under a load of clients on a broker and a
PostgreSQL of their own, while every service is SIGKILLed several times, the broker once and
PostgreSQL once; afterwards what the clients were told is compared with every service's state,
the topics and the dead-letter topics. `python -m tests.chaos --help`.

It lives under tests/ because it is a verification program, beside the suites whose parts it
shares (tests.support, the deploy/local scripts), and is linted and type-checked with them;
pytest does not collect it (no test_*.py): it needs a stack of its own and minutes.
"""
