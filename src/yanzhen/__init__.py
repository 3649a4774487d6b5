"""雁阵 (Yanzhen): a platform for county province–university cooperation and talent work."""
