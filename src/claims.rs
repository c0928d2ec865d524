//! The seed documents' quantitative claims, each computed and given a verdict (CLAIMS.md).
