"""One spider per register: pso, code, senl."""
