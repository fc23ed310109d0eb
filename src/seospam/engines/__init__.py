"""Distributed engines that run seospam.scoring.score_frame."""
