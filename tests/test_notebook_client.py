"""``progress.notebook_client``: nbclient without its stand-in for Output widgets, which can hang a run."""
import nbformat

from nndl.progress import notebook_client


def test_a_widgets_output_becomes_the_cells_own_and_nothing_is_sent_back():
    """nbclient's stand-in would keep "value 3" inside the widget, answering the kernel on its shell socket.

    That answer, sent while nbclient waits on the same socket for the
    cell's reply, is what at times hides the reply until the timeout
    (nbclient issue 312; seen here as notebook runs stuck for 15 minutes).
    """
    source = "import ipywidgets as w\nw.interactive(lambda x: print('value', x), x=3)"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    client = notebook_client(notebook, timeout=60, kernel_name="python3")
    assert "jupyter.widget" not in client.comm_open_handlers
    client.execute()
    printed = "".join(o.get("text", "") for o in notebook.cells[0].outputs if o.output_type == "stream")
    assert "value 3" in printed
