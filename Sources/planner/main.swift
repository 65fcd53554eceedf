import PlannerCLI

Planner.runAsMain()
