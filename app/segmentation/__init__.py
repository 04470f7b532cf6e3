"""Segmentation: the policy that classifies customers by how they pay and what they are worth."""
