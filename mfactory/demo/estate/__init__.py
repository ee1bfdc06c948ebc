"""The demo estate as JSON (package data; written by mfactory.demo.estate_build)."""
