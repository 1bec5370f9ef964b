"""Reading printed labels back: decoding now; grading and defect finding build on it."""
