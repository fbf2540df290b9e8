"""selfeval: draft Ofsted self-evaluations and improvement plans for children's services."""

__version__ = "0.1.0"
