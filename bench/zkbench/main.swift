print("zkbench placeholder")
