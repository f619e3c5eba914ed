"""The test tree is a package: helpers are imported by their full path (`tests.web.web_seed`),
so any mix of test folders collects without two `conftest` or helper modules colliding."""
