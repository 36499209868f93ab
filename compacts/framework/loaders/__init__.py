"""One loader per shipped reference source; ``compacts.framework.reference`` runs them in order."""
